namespace VSmenu.AppHost.Infrastructure;

/// <summary>
/// Where the worker's mail, SMS, payments and marketplace calls go. Published: the real providers, as parameters azd
/// asks for and keeps (keys and password secret), so a deployment never carries a mail sink nobody reads or a gateway
/// that says yes to every card. Run mode: smtp4dev and the sandbox, which exist only there, unless the developer gives
/// the same parameters (<c>Parameters:smtp-url</c>, <c>Parameters:payments-url</c>, ... in user secrets).
/// </summary>
public static class ProviderExtensions
{
    public static IResourceBuilder<ProjectResource> WithProviders(
        this IResourceBuilder<ProjectResource> worker, IDistributedApplicationBuilder builder, InfrastructureMode mode)
    {
        bool Given(string parameter) => builder.ExecutionContext.IsPublishMode || !string.IsNullOrEmpty(builder.Configuration[$"Parameters:{parameter}"]);

        // Optional: left empty, SMS are recorded as skipped and the worker's readiness says so.
        worker.WithEnvironment("Sms__Gateway", builder.AddParameter("sms-gateway-url", "", publishValueAsDefault: true));

        if (Given("smtp-url"))
        {
            worker
                .WithEnvironment("Mail__Smtp", builder.AddParameter("smtp-url"))
                .WithEnvironment("Mail__User", builder.AddParameter("smtp-user"))
                .WithEnvironment("Mail__Password", builder.AddParameter("smtp-password", secret: true))
                .WithEnvironment("Mail__From", builder.AddParameter("mail-from"));
        }
        else
        {
            var smtp = builder.AddSmtpSink(mode);
            worker.WithEnvironment("Mail__Smtp", smtp.Smtp).WaitFor(smtp.Resource);
        }

        string[] providers = ["Payments", "Marketplace"];
        foreach (var provider in providers.Where(provider => Given($"{provider.ToLowerInvariant()}-url")))
        {
            var prefix = provider.ToLowerInvariant();
            worker
                .WithEnvironment($"ExternalServices__{provider}__BaseAddress", builder.AddParameter($"{prefix}-url"))
                .WithEnvironment($"ExternalServices__{provider}__ApiKey", builder.AddParameter($"{prefix}-api-key", secret: true));
        }

        if (providers.Any(provider => !Given($"{provider.ToLowerInvariant()}-url")))
        {
            // Plays the payment gateway and the marketplace; PUT /control/{payments|marketplace} makes it fail, hang or recover.
            var sandbox = builder.AddProject<Projects.VSmenu_Sandbox>("sandbox").WithHttpHealthCheck(ProbeExtensions.ReadinessPath);
            worker.WithReference(sandbox).WaitFor(sandbox);
        }

        return worker;
    }

    /// <summary>
    /// In publish mode, the network of the platform's ingress (a parameter, CIDR), the one proxy whose
    /// <c>X-Forwarded-For</c> the service believes; run mode names none, and every local client is the laptop.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithTrustedIngress(
        this IResourceBuilder<ProjectResource> service, IResourceBuilder<ParameterResource>? ingressNetwork) =>
        ingressNetwork is null ? service : service.WithEnvironment("ForwardedHeaders__KnownNetworks__0", ingressNetwork);
}
