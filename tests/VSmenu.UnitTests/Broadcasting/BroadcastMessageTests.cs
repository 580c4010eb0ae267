using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using VSmenu.Redis.Broadcasting;

namespace VSmenu.UnitTests.Broadcasting;

/// <summary>The one shape of <c>vsmenu:broadcast:*</c>, as the relay and the hub write it and the hub reads it.</summary>
public sealed class BroadcastMessageTests
{
    [Fact]
    public void An_outbox_event_is_written_in_snake_case_with_its_id_timing_tenant_and_trace_and_nothing_it_does_not_have()
    {
        var message = new BroadcastMessage
        {
            Id = 7,
            Event = "order.created",
            Channel = "private-orders.12",
            Data = JsonNode.Parse("""{"order":{"id":1201}}"""),
            Socket = "123.456",
            PublishedAt = 1_764_800_000_000,
            TenantId = 12,
            TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        };

        Assert.Equal(
            """{"id":7,"event":"order.created","channel":"private-orders.12","data":{"order":{"id":1201}},"socket":"123.456","published_at":1764800000000,"tenant_id":12,"trace_parent":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}""",
            Encoding.UTF8.GetString(message.ToUtf8Json()));
    }

    [Fact]
    public void A_client_event_from_another_replica_reads_back_as_it_was_written()
    {
        var sent = new BroadcastMessage
        {
            Event = "client-typing",
            Channel = "presence-kitchen.12",
            Data = JsonValue.Create("""{"who":"ana"}"""),
            Socket = "1.2",
            UserId = "7",
            Client = true,
            PublishedAt = 1,
        };

        var read = BroadcastMessage.FromJson(Encoding.UTF8.GetString(sent.ToUtf8Json()));

        Assert.Equal((sent.Event, sent.Channel, sent.Socket, sent.UserId, true, 1L), (read.Event, read.Channel, read.Socket, read.UserId, read.Client, read.PublishedAt!.Value));
        Assert.Equal(sent.Data!.ToJsonString(), read.Data!.ToJsonString());
        Assert.Null(read.Id);
    }

    [Theory]
    [InlineData("""{"channel":"private-orders.1","data":{}}""")]
    [InlineData("""{"event":"order.created","data":{}}""")]
    [InlineData("""{"event":1,"channel":"private-orders.1"}""")]
    [InlineData("not json")]
    public void What_is_not_a_pusher_event_is_refused(string json) =>
        Assert.ThrowsAny<JsonException>(() => BroadcastMessage.FromJson(json));
}
