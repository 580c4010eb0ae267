using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace VSmenu.Bench.Api;

/// <summary>
/// Each resource's console lines, as the AppHost forwards them, appended to <c>{folder}/{resource}.log</c> with the
/// logging scope that names the replica: what a slow or failed request in a bench run did, read after the run.
/// </summary>
internal sealed class ResourceLogFiles(string folder) : ILoggerProvider, ISupportExternalScope
{
    private const string ResourceCategory = "VSmenu.AppHost.Resources.";
    private readonly ConcurrentDictionary<string, StreamWriter> _files = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ILogger CreateLogger(string categoryName) => categoryName.StartsWith(ResourceCategory, StringComparison.Ordinal)
        ? new ResourceLog(this, categoryName[ResourceCategory.Length..])
        : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

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
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => files._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new List<string>();
            files._scopes.ForEachScope((scope, names) => names.Add(scope?.ToString() ?? ""), scopes);
            files.Write(resource, $"[{string.Join(' ', scopes)}] {formatter(state, exception)}");
        }
    }
}
