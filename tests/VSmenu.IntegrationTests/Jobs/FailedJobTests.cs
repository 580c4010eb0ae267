using System.Net;
using System.Text.Json;
using VSmenu.IntegrationTests.Api;
using VSmenu.Queue;

namespace VSmenu.IntegrationTests.Jobs;

/// <summary>A job that fails for good lands in <c>failed_jobs</c>, alerts the admin, and its restaurant's owner can list and retry it.</summary>
public sealed class FailedJobTests(TopologyFixture topology)
{
    [Fact]
    public async Task A_failed_job_is_listed_to_its_restaurants_owner_alone_and_a_retry_runs_it_again_under_a_new_uuid()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        using var waiter = await owner.AddStaffAsync("waiter");
        using var stranger = await ApiSession.RegisterAsync(topology);
        var uuid = Guid.CreateVersion7().ToString();
        await using (var queue = await TopologyQueue.ConnectAsync(topology))
        {
            // An order id that is not a number: the worker cannot read the job, so it fails for good on its first attempt.
            await queue.Queue.PushAsync(new JobEnvelope
            {
                Uuid = uuid,
                Job = "UpdateInventory",
                Queue = Queues.High,
                Data = JsonSerializer.SerializeToElement(new { tenant_id = owner.TenantId, order_id = "not-a-number" }),
                Tries = 1,
                TenantId = owner.TenantId,
                CreatedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            }, TimeSpan.Zero, deduplicate: false);
        }

        var listed = await WaitForFailedAsync(owner, uuid);
        Assert.Equal(("UpdateInventory", "high"), (listed["job"]!.GetValue<string>(), listed["queue"]!.GetValue<string>()));
        Assert.Contains("unreadable", listed["exception"]!.GetValue<string>());
        Assert.Equal("not-a-number", listed["data"]!["order_id"]!.GetValue<string>());
        await new Mailbox(topology).WaitForAsync(new Mailbox.Message("admin@vsmenu.io", $"[VSmenu] Job UpdateInventory {uuid} falhou"));
        (await waiter.GetAsync("/api/v1/admin/failed-jobs")).AssertStatus(HttpStatusCode.Forbidden);
        Assert.DoesNotContain(uuid, (await stranger.GetAsync("/api/v1/admin/failed-jobs")).AssertStatus(HttpStatusCode.OK).Items.Select(item => item["uuid"]!.GetValue<string>()));
        (await stranger.PostAsync($"/api/v1/admin/failed-jobs/{uuid}/retry", new { })).AssertStatus(HttpStatusCode.NotFound);
        (await waiter.PostAsync($"/api/v1/admin/failed-jobs/{uuid}/retry", new { })).AssertStatus(HttpStatusCode.Forbidden);

        var retried = (await owner.PostAsync($"/api/v1/admin/failed-jobs/{uuid}/retry", new { })).AssertStatus(HttpStatusCode.Accepted);
        var retryUuid = retried.Data["uuid"]!.GetValue<string>();

        Assert.Equal(uuid, retried.Data["retried_uuid"]!.GetValue<string>());
        Assert.NotEqual(uuid, retryUuid);
        await WaitForFailedAsync(owner, retryUuid);
        var remaining = (await owner.GetAsync("/api/v1/admin/failed-jobs")).Items.Select(item => item["uuid"]!.GetValue<string>()).ToList();
        Assert.DoesNotContain(uuid, remaining);
        (await owner.PostAsync($"/api/v1/admin/failed-jobs/{uuid}/retry", new { })).AssertStatus(HttpStatusCode.NotFound);
    }

    private static Task<System.Text.Json.Nodes.JsonNode> WaitForFailedAsync(ApiSession owner, string uuid) =>
        Eventually.ReturnsAsync(
            async () => (await owner.GetAsync("/api/v1/admin/failed-jobs")).Items.FirstOrDefault(item => item["uuid"]!.GetValue<string>() == uuid)!,
            item => item is not null, $"failed job {uuid} listed");
}
