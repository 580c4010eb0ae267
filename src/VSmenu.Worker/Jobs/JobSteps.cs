using StackExchange.Redis;

namespace VSmenu.Worker.Jobs;

/// <summary>
/// Remembers which side effects of a job are done, by job uuid, so a retry after a partial failure does not repeat
/// them (the customer's e-mail went out, the restaurant's did not: the retry sends only the restaurant's).
/// </summary>
public sealed class JobSteps(IConnectionMultiplexer redis)
{
    private static readonly TimeSpan Retention = TimeSpan.FromDays(7);

    public async Task<bool> RunOnceAsync(string jobUuid, string step, Func<Task> effect)
    {
        var key = new RedisKey($"vsmenu:job-steps:{jobUuid}");
        var database = redis.GetDatabase();
        if (await database.HashExistsAsync(key, step))
        {
            return false;
        }

        await effect();
        await database.HashSetAsync(key, step, 1);
        await database.KeyExpireAsync(key, Retention);
        return true;
    }
}
