using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace VSmenu.AppHost.Infrastructure;

/// <summary>A process that ends with <see cref="ExitCode"/> asks to be replaced, as a supervisor would.</summary>
internal sealed record RestartOnExitCodeAnnotation(int ExitCode) : IResourceAnnotation;

public static class RestartOnExitExtensions
{
    /// <summary>
    /// Starts a replica of <paramref name="resource"/> again when its process exits by itself with
    /// <paramref name="exitCode"/>. Aspire restarts nothing on its own, and a worker that recycles itself (a job that
    /// ignored its cancellation) exits so that systemd or Kubernetes start a fresh one: under the AppHost the replica
    /// would otherwise stay down for the rest of the run. It is started a second after it ended, so that one that exits
    /// at once again does not spin.
    /// </summary>
    public static IResourceBuilder<T> WithRestartOnExitCode<T>(this IResourceBuilder<T> resource, int exitCode) where T : IResource
    {
        resource.ApplicationBuilder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ExitCodeSupervisor>());
        return resource.WithAnnotation(new RestartOnExitCodeAnnotation(exitCode));
    }
}

internal sealed partial class ExitCodeSupervisor(
    ResourceNotificationService notifications, ResourceCommandService commands, ILogger<ExitCodeSupervisor> logger) : BackgroundService
{
    private static readonly TimeSpan RestartDelay = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The orchestrator publishes a replica's final state more than once: each run of it is restarted once.
        var restarted = new HashSet<(string ResourceId, DateTime? StartedAt)>();
        await foreach (var update in notifications.WatchAsync(stoppingToken))
        {
            if (update.Resource.TryGetLastAnnotation<RestartOnExitCodeAnnotation>(out var restart)
                && update.Snapshot.ExitCode == restart.ExitCode
                && KnownResourceStates.TerminalStates.Contains(update.Snapshot.State?.Text)
                && restarted.Add((update.ResourceId, update.Snapshot.StartTimeStamp)))
            {
                LogRestarting(update.ResourceId, restart.ExitCode);
                await Task.Delay(RestartDelay, stoppingToken);
                var result = await commands.ExecuteCommandAsync(update.ResourceId, KnownResourceCommands.StartCommand, stoppingToken);
                if (!result.Success)
                {
                    LogRestartRefused(update.ResourceId, result.Message);
                }
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "{ResourceId} exited with code {ExitCode}, which asks for a fresh process: starting it again")]
    private partial void LogRestarting(string resourceId, int exitCode);

    [LoggerMessage(LogLevel.Error, "The orchestrator refused to start {ResourceId} again: {Message}")]
    private partial void LogRestartRefused(string resourceId, string? message);
}
