using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

public static class TrustedProxies
{
    /// <summary>
    /// Takes the client's address and scheme from <c>X-Forwarded-For</c>/<c>-Proto</c> only when the peer is a proxy
    /// this deployment names: <c>ForwardedHeaders:KnownProxies</c> (addresses) and <c>ForwardedHeaders:KnownNetworks</c>
    /// (CIDR), and only the address that proxy appended (the last one). Nothing is trusted by default, loopback
    /// included: the orchestrator's proxy in front of several replicas is a loopback peer that passes a client's own
    /// header through, so trusting loopback let any client choose its address, and with it its rate limits (the api's)
    /// and its connection cap (the hub's). Pair with <c>app.UseForwardedHeaders()</c>.
    /// </summary>
    public static WebApplicationBuilder AddTrustedProxies(this WebApplicationBuilder builder)
    {
        var proxies = builder.Configuration.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>() ?? [];
        var networks = builder.Configuration.GetSection("ForwardedHeaders:KnownNetworks").Get<string[]>() ?? [];
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            // The middleware believes every peer when both lists are empty, so with no proxy named it reads no header at all.
            options.ForwardedHeaders = proxies.Length + networks.Length > 0 ? ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto : ForwardedHeaders.None;
            options.ForwardLimit = 1;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            // The obsolete list still holds loopback by default and the middleware still reads it.
#pragma warning disable ASPDEPR005
            options.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
            foreach (var proxy in proxies)
            {
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in networks)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return builder;
    }
}
