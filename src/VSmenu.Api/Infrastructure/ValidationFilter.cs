namespace VSmenu.Api.Infrastructure;

/// <summary>Answers 422 with every field error before a handler runs, for each body that knows its rules.</summary>
internal sealed class ValidationFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        foreach (var argument in context.Arguments)
        {
            var errors = argument switch
            {
                IPartialBody partial => partial.Validate(),
                IValidatableRequest request => Validator.Check(request),
                _ => null,
            };

            if (errors is { Any: true })
            {
                return ApiResults.Invalid(errors);
            }
        }

        return await next(context);
    }
}
