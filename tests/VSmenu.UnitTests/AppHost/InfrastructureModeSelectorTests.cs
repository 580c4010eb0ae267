using VSmenu.AppHost.Infrastructure;

namespace VSmenu.UnitTests.AppHost;

public sealed class InfrastructureModeSelectorTests
{
    private static readonly ContainerRuntimeStatus RuntimeAnswers = new(true, "docker 28.2.2");
    private static readonly ContainerRuntimeStatus NoRuntime = new(false, "'docker info' failed: Cannot connect to the Docker daemon");

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("auto")]
    [InlineData(" Auto ")]
    public void Auto_picks_containers_when_a_runtime_answers(string? setting)
    {
        var choice = InfrastructureModeSelector.Select(setting, isPublishMode: false, () => RuntimeAnswers);

        Assert.Equal(InfrastructureMode.Containers, choice.Mode);
        Assert.Contains("docker 28.2.2", choice.Reason);
    }

    [Fact]
    public void Auto_falls_back_to_local_processes_and_says_why()
    {
        var choice = InfrastructureModeSelector.Select("auto", isPublishMode: false, () => NoRuntime);

        Assert.Equal(InfrastructureMode.Local, choice.Mode);
        Assert.Contains("Cannot connect to the Docker daemon", choice.Reason);
    }

    [Theory]
    [InlineData("containers", InfrastructureMode.Containers)]
    [InlineData("local", InfrastructureMode.Local)]
    [InlineData("LOCAL", InfrastructureMode.Local)]
    public void Explicit_setting_wins_without_probing(string setting, InfrastructureMode expected)
    {
        var choice = InfrastructureModeSelector.Select(setting, isPublishMode: false, () => throw new InvalidOperationException("probed"));

        Assert.Equal(expected, choice.Mode);
    }

    [Theory]
    [InlineData("local")]
    [InlineData("auto")]
    public void Publishing_always_uses_containers(string setting)
    {
        var choice = InfrastructureModeSelector.Select(setting, isPublishMode: true, () => NoRuntime);

        Assert.Equal(InfrastructureMode.Containers, choice.Mode);
    }

    [Fact]
    public void Unknown_setting_fails_naming_the_valid_values()
    {
        var error = Assert.Throws<InfrastructureUnavailableException>(() =>
            InfrastructureModeSelector.Select("kubernetes", isPublishMode: false, () => NoRuntime));

        Assert.Contains("'kubernetes'", error.Message);
        Assert.Contains("'auto', 'containers' or 'local'", error.Message);
    }
}
