using System.Globalization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Localization;
using Microsoft.Net.Http.Headers;
using VSmenu.Data;

namespace VSmenu.Api.Infrastructure;

public static class ApiConventionsExtensions
{
    /// <summary>Largest request body the API reads; an order with 100 items is a few KB.</summary>
    public const long MaxRequestBodyBytes = 256 * 1024;

    /// <summary>
    /// Adds the wire conventions every endpoint shares: snake_case JSON, pt-BR/English messages by
    /// <c>Accept-Language</c>, one error shape for every failure, and a bounded body size.
    /// </summary>
    public static WebApplicationBuilder AddApiConventions(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            WireJson.Configure(options.SerializerOptions);
            options.SerializerOptions.Converters.Add(new EmptyStringAsNullConverter());
        });
        // Binding failures must reach the exception handler, which gives them a body, in every environment.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<ApiExceptionHandler>();
        builder.Services.AddProblemDetails();
        builder.Services.AddRequestLocalization(options =>
        {
            CultureInfo[] cultures = [new("pt-BR"), new("en")];
            options.DefaultRequestCulture = new RequestCulture("pt-BR");
            options.SupportedCultures = cultures;
            options.SupportedUICultures = cultures;
            options.RequestCultureProviders = [new AcceptLanguageHeaderRequestCultureProvider()];
        });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        builder.Services.Configure<FormOptions>(options => options.MultipartBodyLengthLimit = MaxRequestBodyBytes);
        return builder;
    }

    /// <summary>Every failure in the API's error body and language: the exception handler, the request's culture, and status codes given a body.</summary>
    public static WebApplication UseApiConventions(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseRequestLocalization();
        // Routing (unknown path 404, wrong method 405, wrong content type 415) and body reading (413) answer with
        // a status and no body; give those the API's error body too.
        app.UseStatusCodePages(context => context.HttpContext.Response.WriteAsJsonAsync(
            new ErrorBody(ApiResults.StatusMessage(context.HttpContext.Response.StatusCode)), context.HttpContext.RequestAborted));
        return app;
    }

    /// <summary>Refuses a body declared in a charset other than UTF-8 with 415, before anything reads it.</summary>
    public static WebApplication UseUtf8Bodies(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (DeclaresCharsetOtherThanUtf8(context.Request))
            {
                context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
                return;
            }

            await next(context);
        });
        return app;
    }

    /// <summary>Refuses JSON bodies that name a property twice (<see cref="UnambiguousJsonMiddleware"/>); after the rate limits and authorization.</summary>
    public static WebApplication UseUnambiguousJson(this WebApplication app)
    {
        app.UseMiddleware<UnambiguousJsonMiddleware>();
        return app;
    }

    /// <summary>
    /// JSON between systems is UTF-8 (RFC 8259, section 8.1); a body declared in another charset is refused up front
    /// rather than failing inside the body reader.
    /// </summary>
    private static bool DeclaresCharsetOtherThanUtf8(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
        && type.Charset.HasValue
        && !type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
        && !type.Charset.Equals("utf8", StringComparison.OrdinalIgnoreCase);
}
