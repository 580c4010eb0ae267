using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using VSmenu.Api.Auth;
using VSmenu.Api.Infrastructure;
using VSmenu.Data;
using VSmenu.Data.Reports;
using VSmenu.Data.Users;

namespace VSmenu.Api.Reports;

public sealed record DailyReportResource(
    DateOnly Date, int OrdersCount, int CancelledCount, decimal Revenue, decimal AverageTicket, JsonElement TopProducts, DateTimeOffset GeneratedAt)
{
    public static DailyReportResource From(DailyReport report) => new(
        report.Date, report.OrdersCount, report.CancelledCount, report.Revenue, report.AverageTicket,
        JsonDocument.Parse(report.TopProducts).RootElement.Clone(), report.UpdatedAt);
}

/// <summary><c>GET /reports/daily/{date}</c>: the restaurant's sales of a day, from the nightly <c>GenerateReports</c> job.</summary>
public static class ReportEndpoints
{
    public const string ReadReports = "reports.read";

    public static AuthorizationBuilder AddReportPolicies(this AuthorizationBuilder authorization) =>
        authorization.AddPolicy(ReadReports, policy => policy.RequireRoles(Role.Owner, Role.Manager));

    public static RouteGroupBuilder MapReportEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/reports/daily/{date}", GetAsync).WithTags("Reports").RequireAuthorization(ReadReports)
            .Produces<DataResponse<DailyReportResource>>();
        return api;
    }

    private static async Task<IResult> GetAsync(string date, VsmenuDbContext db, CancellationToken cancellationToken)
    {
        if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", out var day))
        {
            return ApiResults.Invalid("date", ApiText.InvalidFormat.Format("date"));
        }

        var report = await db.DailyReports.AsNoTracking().FirstOrDefaultAsync(r => r.Date == day, cancellationToken);
        return report is null ? ApiResults.NotFound() : TypedResults.Ok(DataResponse.Of(DailyReportResource.From(report)));
    }
}
