namespace VSmenu.Worker.ExternalServices;

/// <summary>
/// The providers a production worker must be given: the code's default for each is the development sandbox, which
/// says yes to every card, and must never reach production.
/// </summary>
public static class ProductionProviders
{
    private static readonly string[] Required =
    [
        $"{ExternalServiceOptions.SectionName}:{Payments.PaymentGateway.Name}:BaseAddress",
        $"{ExternalServiceOptions.SectionName}:{Marketplace.MarketplaceClient.Name}:BaseAddress",
    ];

    /// <summary>One line naming each missing setting, or null when none is missing or this is not Production.</summary>
    public static string? Missing(WebApplicationBuilder builder)
    {
        var missing = Required.Where(setting => string.IsNullOrWhiteSpace(builder.Configuration[setting])).ToList();
        return builder.Environment.IsProduction() && missing.Count > 0
            ? $"Production needs real providers: set {string.Join(" and ", missing)} (the sandbox default is for development only)."
            : null;
    }
}
