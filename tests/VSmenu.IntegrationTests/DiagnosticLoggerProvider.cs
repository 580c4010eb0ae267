using Microsoft.Extensions.Logging;

namespace VSmenu.IntegrationTests;

/// <summary>
/// Sends the AppHost's and every resource's log lines to the test output: the current test's output when a test
/// is running on the logging thread, otherwise xunit's diagnostic messages (shown with diagnosticMessages on).
/// </summary>
public sealed class DiagnosticLoggerProvider : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new DiagnosticLogger(categoryName);

    public void Dispose()
    {
    }

    private sealed class DiagnosticLogger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"[{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}] {formatter(state, exception)}{(exception is null ? "" : Environment.NewLine + exception)}";
            var context = TestContext.Current;
            if (context.TestOutputHelper is { } output)
            {
                output.WriteLine(line);
            }
            else
            {
                context.SendDiagnosticMessage(line);
            }
        }
    }
}
