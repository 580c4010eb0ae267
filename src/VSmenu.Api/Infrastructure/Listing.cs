using System.Globalization;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Primitives;
using VSmenu.Data;

namespace VSmenu.Api.Infrastructure;

/// <summary>
/// What a resource's list endpoint accepts: the whitelisted sort fields, filters and includes, with Laravel-style
/// pagination. Anything not on a list is a 400 naming the bad value; nothing from the query string reaches SQL
/// except as a parameter of an expression written here.
/// </summary>
public sealed class Listing<T> where T : class
{
    public const int DefaultPerPage = 15;
    public const int MaxPerPage = 100;
    private const int MaxPage = 1_000_000;
    private static readonly string[] ReservedParameters = ["page", "per_page", "sort", "include"];

    private readonly Dictionary<string, Func<IQueryable<T>, bool, bool, IQueryable<T>>> _sorts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<string, Expression<Func<T, bool>>?>> _filters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<IQueryable<T>, IQueryable<T>>> _includes = new(StringComparer.Ordinal);
    private readonly string _defaultSort;

    /// <param name="id">The key, always the last sort key, so that pages never overlap or skip rows.</param>
    /// <param name="defaultSort">The order without <c>?sort</c>, in the same syntax.</param>
    public Listing(Expression<Func<T, long>> id, string defaultSort = "id")
    {
        Sort("id", id);
        _defaultSort = defaultSort;
    }

    public Listing<T> Sort<TKey>(string name, Expression<Func<T, TKey>> key)
    {
        _sorts[name] = (query, descending, first) => (first, descending) switch
        {
            (true, false) => query.OrderBy(key),
            (true, true) => query.OrderByDescending(key),
            (false, false) => ((IOrderedQueryable<T>)query).ThenBy(key),
            (false, true) => ((IOrderedQueryable<T>)query).ThenByDescending(key),
        };
        return this;
    }

    public Listing<T> Include(string name, Func<IQueryable<T>, IQueryable<T>> include)
    {
        _includes[name] = include;
        return this;
    }

    /// <summary>A filter on raw text; <paramref name="build"/> returns <c>null</c> for a value it cannot use.</summary>
    public Listing<T> Filter(string name, Func<string, Expression<Func<T, bool>>?> build)
    {
        _filters[name] = build;
        return this;
    }

    /// <summary>A case-insensitive "contains" search; <paramref name="build"/> receives a ready ILIKE pattern.</summary>
    public Listing<T> FilterContains(string name, Func<string, Expression<Func<T, bool>>> build) =>
        Filter(name, raw => build($"%{raw.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_")}%"));

    public Listing<T> FilterNumber(string name, Func<long, Expression<Func<T, bool>>> build) =>
        Filter(name, raw => long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? build(number) : null);

    public Listing<T> FilterFlag(string name, Func<bool, Expression<Func<T, bool>>> build) =>
        Filter(name, raw => raw switch
        {
            "true" or "1" => build(true),
            "false" or "0" => build(false),
            _ => null,
        });

    public Listing<T> FilterEnum<TEnum>(string name, Func<TEnum, Expression<Func<T, bool>>> build) where TEnum : struct, Enum =>
        Filter(name, raw => WireEnum<TEnum>.TryParse(raw, out var value) ? build(value) : null);

    /// <summary>
    /// A bound on a timestamp, as a date (<c>2025-12-14</c>, UTC) or an ISO 8601 instant; a date used as an upper
    /// bound (<paramref name="upper"/>) covers that whole day.
    /// </summary>
    public Listing<T> FilterInstant(string name, bool upper, Func<DateTimeOffset, Expression<Func<T, bool>>> build) =>
        Filter(name, raw =>
        {
            if (DateOnly.TryParseExact(raw, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                // The day's last microsecond (PostgreSQL's precision) from its start, never the next day's start:
                // 9999-12-31 has no next day.
                var start = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                return build(upper ? start.AddTicks(TimeSpan.TicksPerDay - 10) : start);
            }

            return DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)
                ? build(instant.ToUniversalTime())
                : null;
        });

    public async Task<PagedResponse<TResource>> ToPageAsync<TResource>(
        IQueryable<T> source, HttpRequest request, Func<T, IReadOnlySet<string>, TResource> toResource, CancellationToken cancellationToken)
    {
        var query = request.Query;
        RejectUnknownParameters(query);
        var page = ReadInteger(query, "page", 1, MaxPage, 1);
        var perPage = ReadInteger(query, "per_page", 1, MaxPerPage, DefaultPerPage);
        var includes = ReadList(query, "include", _includes.Keys).ToHashSet(StringComparer.Ordinal);
        var sorts = ReadSorts(query);

        var filtered = ApplyFilters(source, query);
        var ordered = filtered;
        for (var i = 0; i < sorts.Count; i++)
        {
            ordered = _sorts[sorts[i].Field](ordered, sorts[i].Descending, i == 0);
        }

        foreach (var include in includes)
        {
            ordered = _includes[include](ordered);
        }

        var skipped = (page - 1) * perPage;
        var rows = await ordered.Skip(skipped).Take(perPage).AsNoTracking().ToListAsync(cancellationToken);
        // A page that is neither full nor past the end is the last one, so it tells the total without a COUNT,
        // which on a large table costs several times the page itself.
        var total = (rows.Count > 0 && rows.Count < perPage) || (page == 1 && rows.Count == 0)
            ? skipped + rows.Count
            : await filtered.CountAsync(cancellationToken);
        return PagedResponse<TResource>.Create(rows.ConvertAll(row => toResource(row, includes)), request, page, perPage, total);
    }

    private void RejectUnknownParameters(IQueryCollection query)
    {
        foreach (var key in query.Keys.Where(key => !ReservedParameters.Contains(key) && !_filters.ContainsKey(key)))
        {
            throw BadQuery(ApiText.UnknownQueryParameter.Format(key, string.Join(", ", ReservedParameters.Concat(_filters.Keys))));
        }
    }

    private IQueryable<T> ApplyFilters(IQueryable<T> source, IQueryCollection query)
    {
        foreach (var (name, build) in _filters)
        {
            var raw = Single(query, name);
            if (string.IsNullOrEmpty(raw))
            {
                continue;
            }

            source = source.Where(build(raw) ?? throw BadQuery(ApiText.InvalidQueryValue.Format(name, raw)));
        }

        return source;
    }

    private List<(string Field, bool Descending)> ReadSorts(IQueryCollection query)
    {
        var raw = Single(query, "sort");
        var sorts = (string.IsNullOrEmpty(raw) ? _defaultSort : raw).Split(',', StringSplitOptions.TrimEntries)
            .Select(part => part.StartsWith('-') ? (Field: part[1..], Descending: true) : (Field: part, Descending: false))
            .ToList();

        foreach (var (field, _) in sorts.Where(sort => !_sorts.ContainsKey(sort.Field)))
        {
            throw BadQuery(ApiText.UnknownQueryValue.Format("sort", field, string.Join(", ", _sorts.Keys)));
        }

        var distinct = sorts.DistinctBy(sort => sort.Field).ToList();
        if (!distinct.Any(sort => sort.Field == "id"))
        {
            distinct.Add(("id", distinct.LastOrDefault().Descending));
        }

        return distinct;
    }

    private static IEnumerable<string> ReadList(IQueryCollection query, string name, IEnumerable<string> allowed)
    {
        var raw = Single(query, name);
        if (string.IsNullOrEmpty(raw))
        {
            return [];
        }

        var values = raw.Split(',', StringSplitOptions.TrimEntries);
        foreach (var value in values.Where(value => !allowed.Contains(value)))
        {
            var permitted = allowed.Any() ? string.Join(", ", allowed) : "—";
            throw BadQuery(ApiText.UnknownQueryValue.Format(name, value, permitted));
        }

        return values;
    }

    private static int ReadInteger(IQueryCollection query, string name, int min, int max, int fallback)
    {
        var raw = Single(query, name);
        if (string.IsNullOrEmpty(raw))
        {
            return fallback;
        }

        return int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw BadQuery(ApiText.QueryRange.Format(name, min, max));
    }

    /// <summary>A parameter given twice is ambiguous, and ambiguity is a client bug worth reporting.</summary>
    private static string? Single(IQueryCollection query, string name)
    {
        var values = query.TryGetValue(name, out var found) ? found : StringValues.Empty;
        return values.Count > 1 ? throw BadQuery(ApiText.InvalidQueryValue.Format(name, values.ToString())) : values.ToString();
    }

    private static ApiProblemException BadQuery(string message) => new(StatusCodes.Status400BadRequest, message);
}
