using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using VSmenu.Data.Users;

namespace VSmenu.Api.Auth;

/// <summary>What a token lookup found: enough to check the secret and the expiry and to name the caller.</summary>
public sealed record ValidatedToken(string TokenHash, DateTimeOffset? ExpiresAt, long TenantId, long UserId, string Name, Role Role);

/// <summary>Which tokens a revocation ends: one token, or every token of one user.</summary>
public readonly record struct TokenEviction(long? TokenId, long? UserId)
{
    public static TokenEviction Token(long tokenId) => new(tokenId, null);

    public static TokenEviction User(long userId) => new(null, userId);

    public bool Covers(long tokenId, ValidatedToken token) => tokenId == TokenId || token.UserId == UserId;
}

/// <summary>
/// The tokens this api replica looked up in the last <see cref="PersonalAccessTokenOptions.TokenCacheLifetime"/>, so that a
/// device's requests cost one lookup in PostgreSQL a second rather than one each. An entry's age counts from before its
/// lookup began, so a token revoked anywhere stops working here within the lifetime even if no eviction reaches this
/// replica; <see cref="TokenRevocations"/> evicts it everywhere at once, and caches nothing while it cannot hear evictions.
/// </summary>
public sealed class TokenCache(IOptions<PersonalAccessTokenOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<long, Entry> _entries = new();
    private long _evictions;
    private volatile bool _hearsEvictions;

    /// <summary>When a lookup began, and how many evictions this replica had seen by then.</summary>
    public readonly record struct Lookup(long StartedAt, long EvictionsSeen);

    public TimeSpan Lifetime => options.Value.TokenCacheLifetime;

    public int Count => _entries.Count;

    /// <summary>Set while evictions from other replicas reach this one; while unset nothing is kept.</summary>
    public bool HearsEvictions
    {
        get => _hearsEvictions;
        set
        {
            _hearsEvictions = value;
            if (!value)
            {
                Interlocked.Increment(ref _evictions);
                _entries.Clear();
            }
        }
    }

    public bool TryGet(long tokenId, out ValidatedToken token)
    {
        if (_entries.TryGetValue(tokenId, out var entry) && clock.GetElapsedTime(entry.LookupStartedAt) < Lifetime)
        {
            token = entry.Token;
            return true;
        }

        token = null!;
        return false;
    }

    /// <summary>Called before reading a token from the database: what <see cref="Add"/> needs to tell a stale read.</summary>
    public Lookup BeginLookup() => new(clock.GetTimestamp(), Interlocked.Read(ref _evictions));

    public void Add(long tokenId, ValidatedToken token, Lookup lookup)
    {
        if (!_hearsEvictions || Lifetime <= TimeSpan.Zero)
        {
            return;
        }

        var entry = new Entry(token, lookup.StartedAt);
        _entries[tokenId] = entry;
        // An eviction that ran during the lookup may have come before this entry existed, and the lookup may have read
        // the token before its revocation committed: such a read is not kept. Checked after adding, so an eviction
        // either sees the entry or has already moved the count.
        if (Interlocked.Read(ref _evictions) != lookup.EvictionsSeen)
        {
            _entries.TryRemove(KeyValuePair.Create(tokenId, entry));
        }
    }

    public void Evict(TokenEviction eviction)
    {
        Interlocked.Increment(ref _evictions);
        foreach (var (tokenId, entry) in _entries)
        {
            if (eviction.Covers(tokenId, entry.Token))
            {
                _entries.TryRemove(KeyValuePair.Create(tokenId, entry));
            }
        }
    }

    /// <summary>Drops the entries past their lifetime, which <see cref="TryGet"/> no longer serves.</summary>
    public void RemoveExpired()
    {
        foreach (var (tokenId, entry) in _entries)
        {
            if (clock.GetElapsedTime(entry.LookupStartedAt) >= Lifetime)
            {
                _entries.TryRemove(KeyValuePair.Create(tokenId, entry));
            }
        }
    }

    /// <summary>A class, not a record: removing an entry must remove that very entry, not an equal one added since.</summary>
    private sealed class Entry(ValidatedToken token, long lookupStartedAt)
    {
        public ValidatedToken Token { get; } = token;

        public long LookupStartedAt { get; } = lookupStartedAt;
    }
}
