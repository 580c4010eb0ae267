using Microsoft.Net.Http.Headers;

namespace VSmenu.Api.Infrastructure;

/// <summary>
/// Refuses a JSON body that names a property twice, in any case (<c>{"email": ..., "Email": ...}</c>), with a 400 on
/// every endpoint, before anything binds it (<see cref="JsonPropertyNames"/>). It runs after the rate limits, so such
/// requests still count against them, and after authorization, so a caller turned away is not read.
/// </summary>
internal sealed class UnambiguousJsonMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!IsJson(context.Request))
        {
            await next(context);
            return;
        }

        // Read whole within the endpoint's body limit (Kestrel answers 413 past it) and handed on from memory.
        var body = new MemoryStream();
        context.Response.RegisterForDispose(body);
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        if (JsonPropertyNames.FindRepeated(body.GetBuffer().AsSpan(0, (int)body.Length)) is { } repeated)
        {
            throw new ApiProblemException(StatusCodes.Status400BadRequest, ApiText.RepeatedProperty.Format(repeated));
        }

        body.Position = 0;
        context.Request.Body = body;
        await next(context);
    }

    private static bool IsJson(HttpRequest request) =>
        request.ContentLength is not 0
        && MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
        && (type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || type.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));
}
