using VSmenu.Api.Auth;

namespace VSmenu.UnitTests.Auth;

public sealed class PersonalAccessTokenTests
{
    private const string Secret = "4d5bcdd85b35a53989f1d1c5b5f467e3f2ad3ee547c1ea4bcc3db274bd9c20ce";

    [Fact]
    public void A_well_formed_token_splits_into_id_and_secret()
    {
        Assert.True(PersonalAccessTokens.TryParse($"42|{Secret}", out var id, out var secret));
        Assert.Equal(42, id);
        Assert.Equal(Secret, secret);
    }

    [Theory]
    [InlineData("")]
    [InlineData("42")]
    [InlineData("|" + Secret)]
    [InlineData("-1|" + Secret)]
    [InlineData("abc|" + Secret)]
    [InlineData("42|short")]
    [InlineData("99999999999999999999999|" + Secret)]
    public void Malformed_tokens_are_refused_before_any_lookup(string presented)
    {
        Assert.False(PersonalAccessTokens.TryParse(presented, out _, out _));
    }

    [Fact]
    public void Only_the_secret_whose_hash_is_stored_matches()
    {
        var stored = PersonalAccessTokens.Hash(Secret);

        Assert.True(PersonalAccessTokens.Matches(Secret, stored));
        Assert.False(PersonalAccessTokens.Matches(Secret[..^1] + "0", stored));
        Assert.DoesNotContain(Secret, stored, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Cantina São João", "cantina-sao-joao")]
    [InlineData("  Pão & Café!! ", "pao-cafe")]
    [InlineData("!!!", "restaurant")]
    public void Restaurant_names_become_url_slugs(string name, string slug)
    {
        Assert.Equal(slug, Slug.From(name));
    }
}
