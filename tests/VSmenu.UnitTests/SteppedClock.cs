namespace VSmenu.UnitTests;

/// <summary>A clock that moves only when told, in seconds.</summary>
internal sealed class SteppedClock : TimeProvider
{
    public long Seconds { get; set; }

    public override long TimestampFrequency => 1;

    public override long GetTimestamp() => Seconds;
}
