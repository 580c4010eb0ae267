using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace VSmenu.Api.Edge;

public static class TrustedProxies
{
    /// <summary>
    /// Takes the client's address and scheme from <c>X-Forwarded-For</c>/<c>-Proto</c> when a trusted proxy sends them:
    /// loopback (the default), plus the addresses listed under <c>ForwardedHeaders:KnownProxies</c>. Rate limits
    /// and request logs are per client, not per load balancer.
    /// </summary>
    public static WebApplicationBuilder AddTrustedProxies(this WebApplicationBuilder builder)
    {
        var proxies = builder.Configuration.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>() ?? [];
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in proxies)
            {
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            }
        });
        return builder;
    }
}
