using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace VSmenu.Bench.Api;

/// <summary>
/// Each resource's console lines, as the AppHost forwards them, appended to <c>{folder}/{resource}.log</c>: what a slow
/// or failed request in a bench run did, read after the run. The replicas of a resource share its file; each line keeps
/// its replica's own line number, so one replica's lines are those that count on from each other.
/// </summary>
internal sealed class ResourceLogFiles(string folder) : ILoggerProvider
{
    private const string ResourceCategory = "VSmenu.AppHost.Resources.";
    private readonly ConcurrentDictionary<string, StreamWriter> _files = new();

    public ILogger CreateLogger(string categoryName) => categoryName.StartsWith(ResourceCategory, StringComparison.Ordinal)
        ? new ResourceLog(this, categoryName[ResourceCategory.Length..])
        : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void Dispose()
    {
        foreach (var file in _files.Values)
        {
            lock (file)
            {
                file.Dispose();
            }
        }
    }

    private void Write(string resource, string line)
    {
        var file = _files.GetOrAdd(resource, name =>
        {
            Directory.CreateDirectory(folder);
            return new StreamWriter(Path.Combine(folder, $"{name}.log"), append: true) { AutoFlush = true };
        });
        lock (file)
        {
            file.WriteLine(line);
        }
    }

    private sealed class ResourceLog(ResourceLogFiles files, string resource) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            files.Write(resource, formatter(state, exception));
    }
}
