namespace VSmenu.Sandbox;

/// <summary>How a sandboxed provider answers: normally, with 503s, by hanging past any client timeout, or (payments) declining.</summary>
public enum ProviderMode
{
    Ok,
    Fail,
    Timeout,
    Decline,
}

/// <summary>
/// One external provider the sandbox plays (the payment gateway, the marketplace): its current mode, the requests it
/// has received, and the answers it gave per idempotency key, so a repeated request gets the first answer, as real
/// providers do.
/// </summary>
public sealed class ProviderBehaviour
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, object> _answers = new();
    private long _requests;

    public ProviderMode Mode { get; set; }

    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Counts the request, plays the mode, and answers with <paramref name="answer"/> once per key.</summary>
    public async Task<IResult> HandleAsync(string? idempotencyKey, Func<ProviderMode, object> answer, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        switch (Mode)
        {
            case ProviderMode.Fail:
                return TypedResults.Problem("The provider is unavailable (sandbox mode: fail).", statusCode: StatusCodes.Status503ServiceUnavailable);
            case ProviderMode.Timeout:
                await Task.Delay(TimeSpan.FromMinutes(2), cancellationToken);
                break;
        }

        if (string.IsNullOrWhiteSpace(idempotencyKey))
        {
            return TypedResults.Problem("Idempotency-Key is required.", statusCode: StatusCodes.Status400BadRequest);
        }

        return TypedResults.Ok(_answers.GetOrAdd(idempotencyKey, _ => answer(Mode)));
    }
}

public sealed class Providers
{
    public ProviderBehaviour Payments { get; } = new();

    public ProviderBehaviour Marketplace { get; } = new();

    public ProviderBehaviour? Find(string name) => name switch
    {
        "payments" => Payments,
        "marketplace" => Marketplace,
        _ => null,
    };
}
