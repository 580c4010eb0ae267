namespace VSmenu.Worker.Outbox;

/// <summary>
/// Since when subscribers may have missed what was published, because Redis stalled: StackExchange.Redis gives up a
/// subscription socket whose Redis stopped answering and subscribes again only after the thaw, and pub/sub keeps nothing
/// for it, while the relays flush their backlog at the thaw. Whatever was published from Redis's last answer before a stall
/// until subscribers have had <paramref name="resubscription"/> to subscribe again is published once more then (a
/// <see cref="Gap"/>). The relay that flushes at the thaw need not be the one that saw the stall, nor see a failure of its
/// own (its PUBLISH sent late in the freeze is answered at the thaw), so the repeat is read back from the outbox, not kept.
/// </summary>
internal sealed class SubscriberGap(TimeProvider time, TimeSpan resubscription)
{
    private readonly Lock _lock = new();
    private long _lastAnswer = time.GetTimestamp();
    private long? _since;
    private long? _answeredAgain;

    /// <summary>Redis answered a call. True when this is its first answer after a stall: the resubscription window starts.</summary>
    public bool Answered()
    {
        lock (_lock)
        {
            _lastAnswer = time.GetTimestamp();
            if (_since is null || _answeredAgain is not null)
            {
                return false;
            }

            _answeredAgain = _lastAnswer;
            return true;
        }
    }

    /// <summary>A call to Redis failed or went unanswered for longer than a healthy Redis ever takes.</summary>
    public void Stalled()
    {
        lock (_lock)
        {
            _since ??= _lastAnswer;
            _answeredAgain = null;
        }
    }

    /// <summary>The gap whose repeat is due now, if any.</summary>
    public Gap? Due()
    {
        lock (_lock)
        {
            return _since is { } since && _answeredAgain is { } answeredAgain && time.GetElapsedTime(answeredAgain) >= resubscription
                ? new Gap(time.GetElapsedTime(since), since, answeredAgain)
                : null;
        }
    }

    /// <summary>How long until a repeat is due: null without a gap, the whole window while Redis has not answered again.</summary>
    public TimeSpan? DueIn()
    {
        lock (_lock)
        {
            if (_since is null)
            {
                return null;
            }

            var left = _answeredAgain is { } answeredAgain ? resubscription - time.GetElapsedTime(answeredAgain) : resubscription;
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    /// <summary>The gap was published once more; unless Redis stalled again meanwhile, there is none left.</summary>
    public void Repeated(Gap gap)
    {
        lock (_lock)
        {
            if (_since == gap.Since && _answeredAgain == gap.AnsweredAgain)
            {
                _since = null;
                _answeredAgain = null;
            }
        }
    }

    /// <summary>A gap to publish again: everything published in the last <see cref="Age"/>.</summary>
    public sealed record Gap(TimeSpan Age, long Since, long AnsweredAgain);
}
