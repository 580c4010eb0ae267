using Microsoft.Extensions.Options;
using VSmenu.Realtime.Pusher;

namespace VSmenu.UnitTests.Realtime;

public sealed class ConnectionAdmissionTests
{
    private static ConnectionAdmission Admission(int maxConnections, LeaseState state)
    {
        var admission = new ConnectionAdmission(Options.Create(new HubOptions { MaxConnections = maxConnections }));
        admission.Update(state);
        return admission;
    }

    [Fact]
    public void With_no_limits_everyone_is_admitted() =>
        Assert.Null(Admission(0, new LeaseState(1_000_000, AppEnabled: true, ConnectionQuota: 0)).Decide(1_000_000));

    [Fact]
    public void A_disabled_app_refuses_with_4003_before_any_count_matters() =>
        Assert.Equal(new Refusal(4003, "Application is disabled"), Admission(10, new LeaseState(0, AppEnabled: false, ConnectionQuota: 100)).Decide(0));

    [Theory]
    [InlineData(40, 59, false)]
    [InlineData(40, 60, true)]
    [InlineData(0, 100, true)]
    public void The_quota_counts_connections_on_every_replica(int here, long elsewhere, bool refused) =>
        Assert.Equal(
            refused ? new Refusal(4004, "Application is over connection quota") : null,
            Admission(0, new LeaseState(elsewhere, AppEnabled: true, ConnectionQuota: 100)).Decide(here));

    [Theory]
    [InlineData(49, false)]
    [InlineData(50, true)]
    public void A_replica_at_its_capacity_refuses_with_4100_so_clients_back_off(int here, bool refused) =>
        Assert.Equal(refused ? new Refusal(4100, "Over capacity") : null, Admission(50, new LeaseState(0, AppEnabled: true, ConnectionQuota: 0)).Decide(here));

    [Fact]
    public void The_quota_is_told_before_capacity() =>
        Assert.Equal(4004, Admission(10, new LeaseState(5, AppEnabled: true, ConnectionQuota: 10)).Decide(10)!.Code);
}
