using VSmenu.Data.Jobs;
using VSmenu.Data.Orders;
using VSmenu.Data.Reports;
using VSmenu.Queue;
using VSmenu.Queue.Worker;
using VSmenu.Worker.Cleanup;
using VSmenu.Worker.ExternalServices;
using VSmenu.Worker.FailedJobs;
using VSmenu.Worker.Inventory;
using VSmenu.Worker.Invoices;
using VSmenu.Worker.Mail;
using VSmenu.Worker.Marketplace;
using VSmenu.Worker.Notifications;
using VSmenu.Worker.Payments;
using VSmenu.Worker.Reports;

namespace VSmenu.Worker.Jobs;

public static class WorkerJobsExtensions
{
    /// <summary>
    /// Adds the queue worker (options from section <c>Queue:Worker</c> and <c>queue:work</c>'s switches on the command
    /// line), the store of failed jobs, and the jobs this worker runs, daily ones on their schedules (section <c>Schedule</c>).
    /// </summary>
    public static WebApplicationBuilder AddVsmenuJobs(this WebApplicationBuilder builder, string[] args)
    {
        builder.Configuration.AddCommandLine(args, QueueWorkerOptions.CommandLineSwitches.ToDictionary());
        builder.AddQueueWorker();
        builder.Services.AddScoped<IJobAttemptFilter, TenantOfJob>();
        builder.Services.AddOptions<MailOptions>().BindConfiguration(MailOptions.SectionName);
        builder.Services.AddSingleton<SmtpSessions>();
        builder.Services.AddSingleton<Mailer>();
        // MailKit's spans and meters (connect, authenticate, send): an e-mail's SMTP exchange shows under its job.
        MailKit.Telemetry.SmtpClient.Configure();
        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddSource(MailKit.Telemetry.SmtpClient.ActivitySourceName))
            .WithMetrics(metrics => metrics.AddMeter(MailKit.Telemetry.SmtpClient.MeterName));
        builder.Services.AddOptions<SmsOptions>().BindConfiguration(SmsOptions.SectionName);
        builder.Services.AddHttpClient<SmsGateway>();
        builder.Services.AddHealthChecks().AddCheck<SmsGatewayHealthCheck>(SmsGatewayHealthCheck.Name);
        builder.Services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.SectionName);
        builder.Services.AddHostedService<FailedJobRecorder>();
        builder.Services.AddExternalService<PaymentGateway>(PaymentGateway.Name);
        builder.Services.AddExternalService<MarketplaceClient>(MarketplaceClient.Name);

        builder.Services
            .AddJobHandler<SendOrderNotification, SendOrderNotificationHandler>()
            .AddJobHandler<UpdateInventory, UpdateInventoryHandler>()
            .AddJobHandler<ProcessPayment, ProcessPaymentHandler>()
            .AddJobHandler<SyncWithExternalApi, SyncWithExternalApiHandler>()
            .AddJobHandler<GenerateInvoice, GenerateInvoiceHandler>()
            .AddJobHandler<GenerateReports, GenerateReportsHandler>()
            .AddJobHandler<CleanupOldData, CleanupOldDataHandler>();

        var schedule = builder.Configuration.GetSection("Schedule");
        var timeZone = TimeZoneInfo.FindSystemTimeZoneById(schedule["TimeZone"] ?? "UTC");
        // The report of the day that just ended, in the restaurant's time zone.
        builder.Services.AddRecurringJob(nameof(GenerateReports), schedule[nameof(GenerateReports)] ?? "0 3 * * *", timeZone,
            occurrence => new GenerateReports(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(occurrence, timeZone).Date).AddDays(-1)));
        builder.Services.AddRecurringJob(nameof(CleanupOldData), schedule[nameof(CleanupOldData)] ?? "30 3 * * *", timeZone,
            _ => new CleanupOldData());
        return builder;
    }
}
