namespace VSmenu.Data;

/// <summary>A record whose <c>created_at</c> the context sets when it is inserted.</summary>
public interface ICreationStamped
{
    DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A record whose <c>created_at</c>/<c>updated_at</c> the context maintains on save.</summary>
public interface ITimestamped : ICreationStamped
{
    DateTimeOffset UpdatedAt { get; set; }
}
