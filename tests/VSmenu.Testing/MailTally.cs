using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace VSmenu.Testing;

/// <summary>
/// The mails of one long run, read from smtp4dev as they arrive, remembered by message id and deleted there: smtp4dev
/// slows down as its mailbox grows (one process measured 150 mails/s up to 6,000 kept, 60/s past 6,000, 30/s past
/// 16,000), and a ten-minute chaos run sends over 20,000, so a run that let them pile up would measure the sink instead
/// of the platform. Only the run's own mails are touched: those whose addresses contain <paramref name="marker"/>.
/// </summary>
public sealed class MailTally(HttpClient smtp4dev, string marker)
{
    private const int PageSize = 500;

    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private readonly Dictionary<string, (string Subject, DateTimeOffset ReceivedAt)> _mails = [];

    /// <summary>Reads and deletes the run's mails every few seconds until <paramref name="stop"/>.</summary>
    public async Task CollectUntilAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await CollectAsync(stop);
                await Task.Delay(Interval, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException)
            {
                // smtp4dev busy or restarting: what it holds is read on the next round, or by the last one.
            }
        }
    }

    /// <summary>Reads and deletes every mail of the run that smtp4dev holds now.</summary>
    public async Task CollectAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var page = JsonNode.Parse(await smtp4dev.GetStringAsync(
                $"/api/messages?searchTerms={Uri.EscapeDataString(marker)}&sortIsDescending=false&pageSize={PageSize}", cancellationToken))!["results"]!.AsArray();
            foreach (var message in page)
            {
                var id = message!["id"]!.GetValue<string>();
                _mails.TryAdd(id, (message["subject"]!.GetValue<string>(), message["receivedDate"]!.GetValue<DateTimeOffset>()));
                using var deleted = await smtp4dev.DeleteAsync($"/api/messages/{id}", cancellationToken);
            }

            if (page.Count < PageSize)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Reads until a mail of each of <paramref name="subjects"/> has been read, or <paramref name="patience"/> has passed:
    /// smtp4dev answers a mail's DATA before it stores it, so the last mails of a run can be read only a moment after its
    /// last job is done (a final read 0.6 s after the last job found 13 of them missing).
    /// </summary>
    public async Task CollectUntilReadAsync(IReadOnlyCollection<string> subjects, TimeSpan patience, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            await CollectAsync(cancellationToken);
            var read = _mails.Values.Select(mail => mail.Subject).ToHashSet(StringComparer.Ordinal);
            if (subjects.All(read.Contains) || waited.Elapsed > patience)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
    }

    /// <summary>When smtp4dev received each mail the run has read, by subject, earliest first: a repeat can be set beside the faults' log.</summary>
    public ILookup<string, DateTimeOffset> ReceivedBySubject() =>
        _mails.Values.OrderBy(mail => mail.ReceivedAt).ToLookup(mail => mail.Subject, mail => mail.ReceivedAt, StringComparer.Ordinal);

    /// <summary>The restaurant's notice of order <paramref name="orderId"/>: <c>Novo pedido #{id}</c>.</summary>
    public static string RestaurantNotice(long orderId) => string.Create(CultureInfo.InvariantCulture, $"Novo pedido #{orderId}");
}
