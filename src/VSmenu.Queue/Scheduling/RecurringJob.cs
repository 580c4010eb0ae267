using Cronos;

namespace VSmenu.Queue.Scheduling;

/// <summary>A job dispatched on a cron schedule; <see cref="Create"/> builds it for the occurrence (a report of the day before).</summary>
public sealed record RecurringJob(string Name, CronExpression Schedule, TimeZoneInfo TimeZone, Func<DateTimeOffset, IJob> Create)
{
    /// <summary>Parses five-field cron (<c>0 3 * * *</c>) or six fields with seconds first (<c>*/5 * * * * *</c>).</summary>
    public static CronExpression ParseSchedule(string cron) =>
        CronExpression.Parse(cron, cron.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);

    public DateTimeOffset? NextAfter(DateTimeOffset instant) => Schedule.GetNextOccurrence(instant, TimeZone);
}
