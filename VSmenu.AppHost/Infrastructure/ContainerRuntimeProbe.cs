namespace VSmenu.AppHost.Infrastructure;

/// <summary>
/// Asks the container runtime's CLI (<c>docker info</c>, or the runtime named by ASPIRE_CONTAINER_RUNTIME) whether
/// an engine answers. A client without an engine, as on our CI machines, answers "no" within the timeout.
/// </summary>
public static class ContainerRuntimeProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <remarks>Synchronous because the app model is built synchronously, before anything runs.</remarks>
    public static ContainerRuntimeStatus Probe(string? runtime)
    {
        runtime = string.IsNullOrWhiteSpace(runtime) ? "docker" : runtime;
        try
        {
            var result = ExternalCommand.RunAsync(runtime, ["info", "--format", "{{.ServerVersion}}"], Timeout, CancellationToken.None)
                .GetAwaiter().GetResult();

            return result switch
            {
                null => new(false, $"no '{runtime}' CLI on PATH"),
                { ExitCode: 0 } => new(true, $"{runtime} {result.Output.Trim()}"),
                _ => new(false, $"'{runtime} info' failed: {FirstLine(result.Error)}"),
            };
        }
        catch (TimeoutException)
        {
            return new(false, $"'{runtime} info' did not answer within {Timeout.TotalSeconds:0} s");
        }
    }

    private static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no output";
}
