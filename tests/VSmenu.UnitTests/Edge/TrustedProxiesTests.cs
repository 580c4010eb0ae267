using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace VSmenu.UnitTests.Edge;

/// <summary>Whose <c>X-Forwarded-For</c> the api believes: only a named proxy's, and only what that proxy appended.</summary>
public sealed class TrustedProxiesTests
{
    private static readonly IPAddress Loopback = IPAddress.Loopback;

    [Fact]
    public async Task Without_named_proxies_a_client_cannot_choose_its_address_even_from_loopback() =>
        Assert.Equal(Loopback, await ClientAddressAsync([], peer: Loopback, forwardedFor: "10.9.9.9"));

    [Fact]
    public async Task A_named_proxys_header_gives_the_client_address_it_appended_not_one_the_client_sent_ahead_of_it() =>
        Assert.Equal(IPAddress.Parse("10.1.1.1"), await ClientAddressAsync(
            [("ForwardedHeaders:KnownProxies:0", "192.168.5.5")], peer: IPAddress.Parse("192.168.5.5"), forwardedFor: "6.6.6.6, 10.1.1.1"));

    [Fact]
    public async Task A_named_network_is_trusted_and_a_peer_outside_it_is_not()
    {
        (string, string)[] network = [("ForwardedHeaders:KnownNetworks:0", "10.240.0.0/16")];

        Assert.Equal(IPAddress.Parse("203.0.113.7"), await ClientAddressAsync(network, peer: IPAddress.Parse("10.240.3.4"), forwardedFor: "203.0.113.7"));
        Assert.Equal(IPAddress.Parse("10.241.0.1"), await ClientAddressAsync(network, peer: IPAddress.Parse("10.241.0.1"), forwardedFor: "203.0.113.7"));
    }

    private static async Task<IPAddress?> ClientAddressAsync((string Key, string Value)[] settings, IPAddress peer, string forwardedFor)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(settings.Select(setting => new KeyValuePair<string, string?>(setting.Key, setting.Value)));
        builder.AddTrustedProxies();
        await using var app = builder.Build();
        var middleware = new ForwardedHeadersMiddleware(_ => Task.CompletedTask, NullLoggerFactory.Instance, app.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>());
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = peer;
        context.Request.Headers["X-Forwarded-For"] = forwardedFor;

        await middleware.Invoke(context);
        return context.Connection.RemoteIpAddress;
    }
}
