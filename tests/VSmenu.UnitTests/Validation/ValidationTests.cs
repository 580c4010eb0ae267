using VSmenu.Api.Infrastructure;
using VSmenu.Api.Orders;

namespace VSmenu.UnitTests.Validation;

public sealed class ValidationTests
{
    [Theory]
    [InlineData("pt-BR", "O campo customer_id é obrigatório quando type é delivery.", "O pedido deve conter pelo menos um item.")]
    [InlineData("en", "The customer_id field is required when type is delivery.", "The order must contain at least one item.")]
    public void Messages_follow_the_request_language(string culture, string customerMessage, string itemsMessage)
    {
        using var scope = new CultureScope(culture);

        var errors = Validate(new CreateOrderRequest("delivery", null, null, 5, null, null, []));

        Assert.Equal([customerMessage], errors["customer_id"]);
        Assert.Equal([itemsMessage], errors["items"]);
    }

    [Fact]
    public void Each_line_is_checked_under_its_own_path_and_only_its_first_failure_is_reported()
    {
        using var scope = new CultureScope("en");

        var errors = Validate(new CreateOrderRequest("takeaway", 1, null, null, "bitcoin", null, [new(1, -2, 1.005m, null), null]));

        Assert.Equal(["The items.0.quantity field must be between 1 and 999."], errors["items.0.quantity"]);
        Assert.Equal(["The items.0.price field must have at most 2 decimal places."], errors["items.0.price"]);
        Assert.Equal(["The items.1 field is required."], errors["items.1"]);
        Assert.StartsWith("The payment_method field must be one of: cash, credit_card", errors["payment_method"].Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void Type_specific_fields_are_required_for_their_type_and_refused_for_others()
    {
        using var scope = new CultureScope("en");

        var dineIn = Validate(new CreateOrderRequest("dine_in", null, null, 3, null, null, [new(1, 1, null, null)]));

        Assert.Equal(["table_id", "delivery_address_id"], dineIn.Keys);
    }

    [Fact]
    public void An_update_checks_only_the_fields_it_carries()
    {
        var validator = new Validator(new HashSet<string> { "status" });

        new UpdateOrderRequest("confirmed", null, null, "bitcoin").Validate(validator);

        Assert.False(validator.Errors.Any);
    }

    [Fact]
    public void Cancelling_needs_a_reason_even_when_the_update_leaves_it_out()
    {
        var validator = new Validator(new HashSet<string> { "status" });

        new UpdateOrderRequest("cancelled", null, null, null).Validate(validator);

        Assert.True(validator.Errors.Has("cancellation_reason"));
    }

    private static IReadOnlyDictionary<string, string[]> Validate(IValidatableRequest request)
    {
        var validator = new Validator();
        request.Validate(validator);
        return validator.Errors.ToDictionary();
    }
}
