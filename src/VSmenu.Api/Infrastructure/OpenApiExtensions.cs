using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace VSmenu.Api.Infrastructure;

public static class OpenApiExtensions
{
    private const string BearerScheme = "Bearer";

    /// <summary>Adds the <c>/openapi/v1.json</c> document, with the bearer scheme on every endpoint that needs a token.</summary>
    public static WebApplicationBuilder AddVsmenuOpenApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "VSmenu API";
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "{id}|{secret}",
                    Description = "A personal access token from POST /api/v1/auth/login or /auth/register.",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] });
                }

                return Task.CompletedTask;
            });
        });
        return builder;
    }

    /// <summary>Serves the document everywhere (clients generate from it) and the Scalar reference page in Development.</summary>
    public static WebApplication MapVsmenuOpenApi(this WebApplication app)
    {
        app.MapOpenApi();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference();
        }

        return app;
    }
}
