namespace VSmenu.AppHost.Infrastructure;

/// <summary>
/// Where the worker's mail, payments and marketplace calls go. Run mode: smtp4dev and the sandbox, which exist only
/// there. Publish mode: the real providers, as parameters azd asks for and keeps (their keys and password secret),
/// so a deployment never carries a mail sink nobody reads or a gateway that says yes to every card.
/// </summary>
public static class ProviderExtensions
{
    private const string HealthPath = "/health";

    public static IResourceBuilder<ProjectResource> WithProviders(
        this IResourceBuilder<ProjectResource> worker, IDistributedApplicationBuilder builder, InfrastructureMode mode)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            return worker
                .WithEnvironment("Mail__Smtp", builder.AddParameter("smtp-url"))
                .WithEnvironment("Mail__User", builder.AddParameter("smtp-user"))
                .WithEnvironment("Mail__Password", builder.AddParameter("smtp-password", secret: true))
                .WithEnvironment("Mail__From", builder.AddParameter("mail-from"))
                .WithEnvironment("ExternalServices__Payments__BaseAddress", builder.AddParameter("payments-url"))
                .WithEnvironment("ExternalServices__Payments__ApiKey", builder.AddParameter("payments-api-key", secret: true))
                .WithEnvironment("ExternalServices__Marketplace__BaseAddress", builder.AddParameter("marketplace-url"))
                .WithEnvironment("ExternalServices__Marketplace__ApiKey", builder.AddParameter("marketplace-api-key", secret: true));
        }

        var smtp = builder.AddSmtpSink(mode);
        // Plays the payment gateway and the marketplace; PUT /control/{payments|marketplace} makes it fail, hang or recover.
        var sandbox = builder.AddProject<Projects.VSmenu_Sandbox>("sandbox")
            .WithHttpHealthCheck(HealthPath);
        return worker
            .WithEnvironment("Mail__Smtp", smtp.Smtp).WaitFor(smtp.Resource)
            .WithReference(sandbox).WaitFor(sandbox);
    }

    /// <summary>
    /// In publish mode, the network of the platform's ingress (a parameter, CIDR), the one proxy whose
    /// <c>X-Forwarded-For</c> the service believes; run mode names none, and every local client is the laptop.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithTrustedIngress(
        this IResourceBuilder<ProjectResource> service, IResourceBuilder<ParameterResource>? ingressNetwork) =>
        ingressNetwork is null ? service : service.WithEnvironment("ForwardedHeaders__KnownNetworks__0", ingressNetwork);
}
