using System.Text.Json;
using VSmenu.Api.Infrastructure;
using VSmenu.Api.Orders;
using VSmenu.Data;

namespace VSmenu.UnitTests.Validation;

public sealed class PartialBodyTests
{
    [Fact]
    public void A_field_is_asked_for_by_its_property_and_found_under_its_wire_name_only_when_sent()
    {
        var options = new JsonSerializerOptions();
        WireJson.Configure(options);
        using var body = JsonDocument.Parse("""{"payment_method": "pix", "notes": null}""");

        var patch = Partial<UpdateOrderRequest>.From(body.RootElement, options);

        Assert.True(patch.Has(r => r.PaymentMethod));
        Assert.True(patch.Has(r => r.Notes));
        Assert.False(patch.Has(r => r.Status));
        Assert.False(patch.Has(r => r.CancellationReason));
    }
}
