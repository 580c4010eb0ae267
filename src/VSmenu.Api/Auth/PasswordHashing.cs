using Microsoft.AspNetCore.Identity;
using VSmenu.Data.Users;

namespace VSmenu.Api.Auth;

/// <summary>
/// Hashes and checks passwords with Identity's <see cref="PasswordHasher{TUser}"/> (PBKDF2: tens of milliseconds of CPU
/// each), a few at a time, the rest waiting their turn without a thread. Each on the thread of its request, 64 waiters
/// signing in at the start of a shift took every thread of the pool: the answers PostgreSQL and Redis had already sent
/// waited behind the hashes past the circuits' patience, and the api opened its circuits on stores that were fine.
/// </summary>
public sealed class PasswordHashing(IPasswordHasher<User> hasher) : IDisposable
{
    /// <summary>Half the cores: the other half stays free for every other request, sign-ins queued or not.</summary>
    internal static readonly int Concurrency = Math.Max(1, Environment.ProcessorCount / 2);

    private static readonly User Decoy = new() { Name = "", Email = "", PasswordHash = "" };
    private static readonly Lazy<string> DecoyHash = new(() => new PasswordHasher<User>().HashPassword(Decoy, Guid.NewGuid().ToString()));

    private readonly SemaphoreSlim _turns = new(Concurrency, Concurrency);

    public Task<string> HashAsync(User user, string password, CancellationToken cancellationToken) =>
        InTurnAsync(() => hasher.HashPassword(user, password), cancellationToken);

    /// <summary>
    /// Checks <paramref name="password"/> against <paramref name="user"/>'s hash; with no user (an unknown e-mail) it costs
    /// the same hashing time and fails, so timing does not reveal which accounts exist.
    /// </summary>
    public Task<PasswordVerificationResult> VerifyAsync(User? user, string password, CancellationToken cancellationToken) =>
        InTurnAsync(() => Verify(user, password), cancellationToken);

    public void Dispose() => _turns.Dispose();

    private PasswordVerificationResult Verify(User? user, string password)
    {
        if (user is null)
        {
            hasher.VerifyHashedPassword(Decoy, DecoyHash.Value, password);
            return PasswordVerificationResult.Failed;
        }

        return hasher.VerifyHashedPassword(user, user.PasswordHash, password);
    }

    private async Task<T> InTurnAsync<T>(Func<T> hashing, CancellationToken cancellationToken)
    {
        await _turns.WaitAsync(cancellationToken);
        try
        {
            return hashing();
        }
        finally
        {
            _turns.Release();
        }
    }
}
