using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace VSmenu.Pos.Store;

/// <summary>
/// Checkpoints the terminal's database every <see cref="PosOptions.CheckpointInterval"/>, online or offline, and once more
/// when the terminal stops, so that a till's orders reach the disk on a timer of their own rather than with each sync
/// round (which, offline, never ends). A checkpoint that fails is logged and tried again at the next tick.
/// </summary>
public sealed partial class WalCheckpoints(PosDatabase database, IOptions<PosOptions> options, TimeProvider time, ILogger<WalCheckpoints> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CheckpointInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await CheckpointAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await CheckpointAsync(CancellationToken.None);
        }
    }

    private async Task CheckpointAsync(CancellationToken cancellationToken)
    {
        try
        {
            await database.CheckpointAsync(cancellationToken);
        }
        catch (SqliteException failed)
        {
            LogCheckpointFailed(failed);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The write-ahead log could not be checkpointed; trying again at the next tick.")]
    private partial void LogCheckpointFailed(Exception exception);
}
