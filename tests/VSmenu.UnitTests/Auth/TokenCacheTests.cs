using Microsoft.Extensions.Options;
using VSmenu.Api.Auth;
using VSmenu.Data.Users;

namespace VSmenu.UnitTests.Auth;

public sealed class TokenCacheTests
{
    private readonly SteppedClock _clock = new() { Seconds = 100 };
    private readonly TokenCache _cache;

    public TokenCacheTests() =>
        _cache = new TokenCache(Options.Create(new PersonalAccessTokenOptions { TokenCacheLifetime = TimeSpan.FromSeconds(2) }), _clock) { HearsEvictions = true };

    [Fact]
    public void A_token_is_served_until_the_lifetime_counted_from_before_its_lookup_has_passed()
    {
        var lookup = _cache.BeginLookup();
        _clock.Seconds += 1;
        _cache.Add(7, TokenOf(userId: 1), lookup);

        Assert.True(_cache.TryGet(7, out var token));
        Assert.Equal(1, token.UserId);
        _clock.Seconds += 1;
        Assert.False(_cache.TryGet(7, out _));
    }

    [Fact]
    public void A_lookup_that_an_eviction_overtook_is_not_kept_since_it_may_have_read_the_token_before_its_revocation()
    {
        var lookup = _cache.BeginLookup();
        _cache.Evict(TokenEviction.Token(7));
        _cache.Add(7, TokenOf(userId: 1), lookup);

        Assert.False(_cache.TryGet(7, out _));
        _cache.Add(7, TokenOf(userId: 1), _cache.BeginLookup());
        Assert.True(_cache.TryGet(7, out _));
    }

    [Fact]
    public void Evicting_a_user_ends_every_token_of_theirs_and_no_one_else_s()
    {
        _cache.Add(7, TokenOf(userId: 1), _cache.BeginLookup());
        _cache.Add(8, TokenOf(userId: 1), _cache.BeginLookup());
        _cache.Add(9, TokenOf(userId: 2), _cache.BeginLookup());

        _cache.Evict(TokenEviction.User(1));

        Assert.False(_cache.TryGet(7, out _));
        Assert.False(_cache.TryGet(8, out _));
        Assert.True(_cache.TryGet(9, out _));
        _cache.Evict(TokenEviction.Token(9));
        Assert.False(_cache.TryGet(9, out _));
    }

    [Fact]
    public void Nothing_is_kept_while_evictions_from_other_replicas_cannot_be_heard()
    {
        _cache.Add(7, TokenOf(userId: 1), _cache.BeginLookup());

        _cache.HearsEvictions = false;
        Assert.False(_cache.TryGet(7, out _));
        _cache.Add(8, TokenOf(userId: 1), _cache.BeginLookup());
        Assert.False(_cache.TryGet(8, out _));

        _cache.HearsEvictions = true;
        _cache.Add(8, TokenOf(userId: 1), _cache.BeginLookup());
        Assert.True(_cache.TryGet(8, out _));
    }

    [Fact]
    public void Expired_entries_are_dropped_and_live_ones_kept()
    {
        _cache.Add(7, TokenOf(userId: 1), _cache.BeginLookup());
        _clock.Seconds += 1;
        _cache.Add(8, TokenOf(userId: 2), _cache.BeginLookup());
        _clock.Seconds += 1;

        _cache.RemoveExpired();

        Assert.Equal(1, _cache.Count);
        Assert.True(_cache.TryGet(8, out _));
    }

    private static ValidatedToken TokenOf(long userId) => new("hash", null, TenantId: 3, userId, "Ana", Role.Owner);
}
