using Microsoft.Extensions.Hosting;
using VSmenu.QueueTestWorker;

// The worker process that queue tests start, kill -9, stop with SIGTERM or signal to restart.
using var host = TestWorkerHost.Build(args);
await host.RunAsync();
return Environment.ExitCode;
