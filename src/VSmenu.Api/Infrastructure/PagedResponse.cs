using Microsoft.AspNetCore.WebUtilities;

namespace VSmenu.Api.Infrastructure;

/// <summary>The <c>{data}</c> envelope of a single resource.</summary>
public sealed record DataResponse<T>(T Data);

public static class DataResponse
{
    public static DataResponse<T> Of<T>(T data) => new(data);
}

public sealed record PageMeta(int CurrentPage, int? From, int LastPage, string Path, int PerPage, int? To, int Total);

public sealed record PageLinks(string First, string Last, string? Prev, string? Next);

/// <summary>A page of a list, with Laravel's <c>meta</c> and <c>links</c>; links keep the request's other parameters.</summary>
public sealed record PagedResponse<T>(IReadOnlyList<T> Data, PageMeta Meta, PageLinks Links)
{
    public static PagedResponse<T> Create(IReadOnlyList<T> data, HttpRequest request, int page, int perPage, int total)
    {
        var lastPage = Math.Max(1, (total + perPage - 1) / perPage);
        var from = data.Count == 0 ? (int?)null : ((page - 1) * perPage) + 1;
        var path = $"{request.PathBase}{request.Path}";

        string Link(int target)
        {
            var parameters = request.Query.Where(pair => pair.Key != "page").ToDictionary(pair => pair.Key, pair => pair.Value.ToString());
            parameters["page"] = target.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return QueryHelpers.AddQueryString(path, parameters!);
        }

        return new PagedResponse<T>(
            data,
            new PageMeta(page, from, lastPage, path, perPage, from + data.Count - 1, total),
            new PageLinks(Link(1), Link(lastPage), page > 1 ? Link(Math.Min(page - 1, lastPage)) : null, page < lastPage ? Link(page + 1) : null));
    }
}
