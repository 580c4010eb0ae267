namespace VSmenu.Data;

/// <summary>A record addressed by a numeric id in the API (<c>/api/v1/{resource}/{id}</c>).</summary>
public interface IIdentified
{
    long Id { get; }
}
