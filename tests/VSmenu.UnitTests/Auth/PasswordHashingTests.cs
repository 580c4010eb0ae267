using Microsoft.AspNetCore.Identity;
using VSmenu.Api.Auth;
using VSmenu.Data.Users;

namespace VSmenu.UnitTests.Auth;

public sealed class PasswordHashingTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task No_more_passwords_are_hashed_at_once_than_its_concurrency_and_the_rest_wait_for_a_turn_without_a_thread()
    {
        var hasher = new GatedHasher();
        using var passwords = new PasswordHashing(hasher);
        var callers = PasswordHashing.Concurrency + 3;
        var returned = 0;
        var hashes = new Task<string>[callers];
        // Each caller on a thread of its own: hashed on the caller's thread, every one of them would be hashing now.
        var threads = Enumerable.Range(0, callers).Select(caller => new Thread(() =>
        {
            hashes[caller] = passwords.HashAsync(NewUser(), "secret", TestContext.Current.CancellationToken);
            Interlocked.Increment(ref returned);
        })).ToList();
        threads.ForEach(thread => thread.Start());

        var settled = SpinWait.SpinUntil(
            () => hasher.Hashing == PasswordHashing.Concurrency && Volatile.Read(ref returned) == callers - PasswordHashing.Concurrency, Patience);
        Assert.True(settled, $"{hasher.Hashing} hashing and {returned} of {callers} callers waiting for a turn.");

        hasher.Open();
        threads.ForEach(thread => thread.Join());
        Assert.All(await Task.WhenAll(hashes), hash => Assert.Equal("hash of secret", hash));
        Assert.Equal(PasswordHashing.Concurrency, hasher.MostAtOnce);
    }

    [Fact]
    public async Task A_sign_in_with_an_unknown_email_still_checks_a_password_hash_and_fails_even_if_that_hash_matched()
    {
        var hasher = new GatedHasher();
        hasher.Open();
        using var passwords = new PasswordHashing(hasher);

        Assert.Equal(PasswordVerificationResult.Failed, await passwords.VerifyAsync(null, "secret", TestContext.Current.CancellationToken));
        Assert.Equal(1, hasher.Verified);
    }

    private static User NewUser() => new() { Name = "Ana", Email = "ana@example.com", PasswordHash = "" };

    /// <summary>A hasher that holds every call until opened, and counts how many it held at once.</summary>
    private sealed class GatedHasher : IPasswordHasher<User>
    {
        private readonly ManualResetEventSlim _gate = new();
        private int _hashing;
        private int _mostAtOnce;
        private int _verified;

        public int Hashing => Volatile.Read(ref _hashing);

        public int MostAtOnce => Volatile.Read(ref _mostAtOnce);

        public int Verified => Volatile.Read(ref _verified);

        public void Open() => _gate.Set();

        public string HashPassword(User user, string password)
        {
            var now = Interlocked.Increment(ref _hashing);
            for (var most = MostAtOnce; now > most && Interlocked.CompareExchange(ref _mostAtOnce, now, most) != most; most = MostAtOnce)
            {
            }

            _gate.Wait(Patience);
            Interlocked.Decrement(ref _hashing);
            return $"hash of {password}";
        }

        public PasswordVerificationResult VerifyHashedPassword(User user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _verified);
            return PasswordVerificationResult.Success;
        }
    }
}
