using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace VSmenu.Worker.ExternalServices;

public static class ExternalServiceExtensions
{
    /// <summary>
    /// Adds the typed client <typeparamref name="TClient"/> for the provider <paramref name="name"/>, with its own
    /// resilience pipeline instead of the shared default one (whose circuit breaker would trip for every provider at
    /// once): a total timeout, retries with jittered backoff, a circuit breaker, and a per-attempt timeout.
    /// </summary>
    public static IServiceCollection AddExternalService<TClient>(this IServiceCollection services, string name) where TClient : class
    {
        services.AddOptions<ExternalServiceOptions>(name).BindConfiguration($"{ExternalServiceOptions.SectionName}:{name}");
        var http = services.AddHttpClient<TClient>((provider, http) =>
        {
            var options = provider.GetRequiredService<IOptionsMonitor<ExternalServiceOptions>>().Get(name);
            http.BaseAddress = options.BaseAddress;
            if (options.ApiKey is { Length: > 0 } key)
            {
                http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
            }
        });
#pragma warning disable EXTEXP0001 // Evaluation API (.NET 10): the one way to drop the default handler ServiceDefaults adds to every client.
        http.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        http.AddResilienceHandler(name, (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptionsMonitor<ExternalServiceOptions>>().Get(name);
                pipeline
                    .AddTimeout((options.AttemptTimeout * (options.Retries + 1)) + TimeSpan.FromSeconds(options.Retries))
                    .AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = options.Retries,
                        Delay = TimeSpan.FromMilliseconds(200),
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                    })
                    .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                    {
                        // The spec counts 5 failures, forgiven by a success. Polly breaks on a failure ratio instead:
                        // at least that many calls in 30 s, most of them failed. (A ratio of 1.0 would let one old
                        // success keep a dead provider's breaker closed for the whole window.)
                        FailureRatio = 0.5,
                        MinimumThroughput = options.FailuresToBreak,
                        SamplingDuration = TimeSpan.FromSeconds(30),
                        BreakDuration = options.BreakDuration,
                    })
                    .AddTimeout(options.AttemptTimeout);
            });
        return services;
    }
}
