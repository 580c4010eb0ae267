using System.Text.Json;
using Microsoft.Extensions.Options;

namespace VSmenu.Pos.Auth;

/// <summary>
/// The AppHost's demo terminal signs in to its demo restaurant by itself, signing the restaurant up (with a small menu)
/// the first time. It waits for the api as long as it takes; a terminal with someone signed in is left alone.
/// </summary>
public sealed partial class DemoRestaurant(
    PosApi api, PosSession session, Credentials credentials, IOptions<PosOptions> options, ILogger<DemoRestaurant> logger) : BackgroundService
{
    private static readonly (string Name, decimal Price)[] Menu = [("X-Burger", 28.90m), ("Batata frita", 14.50m), ("Refrigerante", 7.00m)];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var demo = options.Value.Demo;
        if (!demo.Enabled || await credentials.SignedInAsync(stoppingToken) is not null)
        {
            return;
        }

        var signIn = JsonSerializer.SerializeToElement(new { email = demo.Email, password = demo.Password, device_name = "vsmenu-pos demo" });
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SignUpOnceAsync(demo, stoppingToken);
                await session.LoginAsync(signIn, stoppingToken);
                LogSignedIn(logger, demo.Email!);
                return;
            }
            catch (Exception unreachable) when (PosApi.IsUnreachable(unreachable))
            {
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }

    /// <summary>Signs the restaurant up with its menu unless its owner exists already (the api answers 422 for a taken email).</summary>
    private async Task SignUpOnceAsync(DemoRestaurantOptions demo, CancellationToken cancellationToken)
    {
        JsonElement registered;
        try
        {
            registered = await api.RegisterAsync(new { restaurant_name = demo.Restaurant ?? "Lanchonete Demo", name = "Demo", email = demo.Email, password = demo.Password }, cancellationToken);
        }
        catch (PosError taken) when (taken.Status == 422)
        {
            return;
        }

        var token = registered.GetProperty("token").GetString()!;
        var category = await api.PostAsync("/api/v1/categories", token, new { name = "Lanches" }, cancellationToken);
        foreach (var (name, price) in Menu)
        {
            await api.PostAsync("/api/v1/products", token, new { name, price, category_id = category.GetProperty("id").GetInt64() }, cancellationToken);
        }

        await api.RevokeAsync(token, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The demo terminal is signed in as {Email}.")]
    private static partial void LogSignedIn(ILogger logger, string email);
}
