using System.Text.Json.Serialization;
using VSmenu.Api.Infrastructure;
using VSmenu.Data.Customers;

namespace VSmenu.Api.Customers;

public sealed record CustomerRequest(string? Name, string? Email, string? Phone) : IValidatableRequest
{
    public void Validate(Validator validator)
    {
        validator.Field("name", Name).Required().MaxLength(120);
        validator.Field("email", Email).Email().MaxLength(254);
        validator.Field("phone", Phone).MaxLength(32);
    }
}

public sealed record AddressRequest(
    string? Label, string? Street, string? Number, string? Complement, string? District, string? City, string? State,
    string? PostalCode, string? Reference) : IValidatableRequest
{
    public void Validate(Validator validator)
    {
        validator.Field("label", Label).MaxLength(60);
        validator.Field("street", Street).Required().MaxLength(200);
        validator.Field("number", Number).Required().MaxLength(20);
        validator.Field("complement", Complement).MaxLength(100);
        validator.Field("district", District).MaxLength(100);
        validator.Field("city", City).Required().MaxLength(100);
        validator.Field("state", State).Required().MaxLength(60);
        validator.Field("postal_code", PostalCode).Required().MaxLength(20);
        validator.Field("reference", Reference).MaxLength(200);
    }
}

public sealed record CustomerSummary(long Id, string Name, string? Email)
{
    public static CustomerSummary From(Customer customer) => new(customer.Id, customer.Name, customer.Email);
}

public sealed record CustomerResource(
    long Id, string Name, string? Email, string? Phone,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<AddressResource>? Addresses,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static CustomerResource From(Customer customer, bool withAddresses) => new(
        customer.Id, customer.Name, customer.Email, customer.Phone,
        withAddresses ? customer.Addresses.ConvertAll(AddressResource.From) : null,
        customer.CreatedAt, customer.UpdatedAt);
}

public sealed record AddressResource(
    long Id, long CustomerId, string? Label, string Street, string Number, string? Complement, string? District, string City,
    string State, string PostalCode, string? Reference, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static AddressResource From(Address address) => new(
        address.Id, address.CustomerId, address.Label, address.Street, address.Number, address.Complement, address.District,
        address.City, address.State, address.PostalCode, address.Reference, address.CreatedAt, address.UpdatedAt);
}
