using VSmenu.AppHost.Infrastructure;

namespace VSmenu.UnitTests.AppHost;

/// <summary>The probe runs '{runtime} info'; coreutils' true and false stand in for an engine that answers or not.</summary>
public sealed class ContainerRuntimeProbeTests
{
    [Fact]
    public void A_runtime_whose_info_succeeds_is_available()
    {
        Assert.True(ContainerRuntimeProbe.Probe("true").IsAvailable);
    }

    [Fact]
    public void A_runtime_whose_info_fails_is_not_available()
    {
        var status = ContainerRuntimeProbe.Probe("false");

        Assert.False(status.IsAvailable);
        Assert.Contains("'false info' failed", status.Detail);
    }

    [Fact]
    public void A_missing_cli_is_not_available_and_says_so()
    {
        var status = ContainerRuntimeProbe.Probe("vsmenu-no-such-runtime");

        Assert.False(status.IsAvailable);
        Assert.Equal("no 'vsmenu-no-such-runtime' CLI on PATH", status.Detail);
    }
}
