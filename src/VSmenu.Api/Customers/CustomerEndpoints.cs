using Microsoft.EntityFrameworkCore;
using VSmenu.Api.Infrastructure;
using VSmenu.Data;
using VSmenu.Data.Customers;

namespace VSmenu.Api.Customers;

public static class CustomerEndpoints
{
    private const string AddressesInclude = "addresses";

    private static readonly Listing<Customer> Listing = new Listing<Customer>(customer => customer.Id, defaultSort: "name")
        .Sort("name", customer => customer.Name)
        .Sort("created_at", customer => customer.CreatedAt)
        .FilterContains("search", pattern => customer =>
            EF.Functions.ILike(customer.Name, pattern) || EF.Functions.ILike(customer.Email!, pattern) || EF.Functions.ILike(customer.Phone!, pattern))
        .Filter("email", email => customer => customer.Email == email)
        .Filter("phone", phone => customer => customer.Phone == phone)
        .Include(AddressesInclude, customers => customers.Include(customer => customer.Addresses.OrderBy(address => address.Id)));

    private static readonly Listing<Address> AddressListing = new Listing<Address>(address => address.Id)
        .Sort("created_at", address => address.CreatedAt)
        .Sort("city", address => address.City);

    public static RouteGroupBuilder MapCustomerEndpoints(this RouteGroupBuilder api)
    {
        var customers = api.MapGroup("/customers").WithTags("Customers");

        customers.MapList(Listing, (customer, includes) => CustomerResource.From(customer, includes.Contains(AddressesInclude)));
        customers.MapShow<Customer, CustomerResource>(
            query => query.Include(customer => customer.Addresses.OrderBy(address => address.Id)),
            customer => CustomerResource.From(customer, withAddresses: true));
        customers.MapPost("/", CreateAsync).Produces<DataResponse<CustomerResource>>(StatusCodes.Status201Created).RequireAuthorization(CustomerPolicies.ManageCustomers);
        customers.MapUpdate<Customer, CustomerRequest, CustomerResource>(Apply, customer => CustomerResource.From(customer, withAddresses: false))
            .RequireAuthorization(CustomerPolicies.ManageCustomers);
        customers.MapDestroy<Customer>().RequireAuthorization(CustomerPolicies.ManageCustomers);

        var addresses = customers.MapGroup("/{customerId:long}/addresses");
        addresses.MapGet("/", ListAddressesAsync).Produces<PagedResponse<AddressResource>>();
        addresses.MapGet("/{id:long}", ShowAddressAsync).Produces<DataResponse<AddressResource>>();
        addresses.MapPost("/", CreateAddressAsync).Produces<DataResponse<AddressResource>>(StatusCodes.Status201Created).RequireAuthorization(CustomerPolicies.ManageCustomers);
        addresses.MapMethods("/{id:long}", [HttpMethods.Put, HttpMethods.Patch], UpdateAddressAsync).Produces<DataResponse<AddressResource>>()
            .Accepts<AddressRequest>("application/json").RequireAuthorization(CustomerPolicies.ManageCustomers);
        addresses.MapDelete("/{id:long}", DeleteAddressAsync).RequireAuthorization(CustomerPolicies.ManageCustomers);
        return api;
    }

    private static async Task<IResult> CreateAsync(CustomerRequest body, VsmenuDbContext db, CancellationToken cancellationToken)
    {
        var customer = new Customer { Name = body.Name!, Email = body.Email?.ToLowerInvariant(), Phone = body.Phone };
        db.Customers.Add(customer);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/customers/{customer.Id}", DataResponse.Of(CustomerResource.From(customer, withAddresses: false)));
    }

    private static void Apply(Customer customer, Partial<CustomerRequest> body)
    {
        var request = body.Value;
        if (body.Has(r => r.Name)) customer.Name = request.Name!;
        if (body.Has(r => r.Email)) customer.Email = request.Email?.ToLowerInvariant();
        if (body.Has(r => r.Phone)) customer.Phone = request.Phone;
    }

    private static async Task<IResult> ListAddressesAsync(long customerId, VsmenuDbContext db, HttpRequest request, CancellationToken cancellationToken) =>
        await db.FindByIdAsync<Customer>(customerId, cancellationToken) is null
            ? ApiResults.NotFound()
            : TypedResults.Ok(await AddressListing.ToPageAsync(
                db.Addresses.Where(address => address.CustomerId == customerId), request, (address, _) => AddressResource.From(address), cancellationToken));

    private static async Task<IResult> ShowAddressAsync(long customerId, long id, VsmenuDbContext db, CancellationToken cancellationToken) =>
        await FindAddressAsync(db, customerId, id, cancellationToken) is { } address
            ? TypedResults.Ok(DataResponse.Of(AddressResource.From(address)))
            : ApiResults.NotFound();

    private static async Task<IResult> CreateAddressAsync(long customerId, AddressRequest body, VsmenuDbContext db, CancellationToken cancellationToken)
    {
        if (await db.FindByIdAsync<Customer>(customerId, cancellationToken) is null)
        {
            return ApiResults.NotFound();
        }

        var address = new Address
        {
            CustomerId = customerId,
            Street = body.Street!,
            Number = body.Number!,
            City = body.City!,
            State = body.State!,
            PostalCode = body.PostalCode!,
        };
        Apply(address, body, AllFieldsSent<AddressRequest>.Instance);
        db.Addresses.Add(address);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/customers/{customerId}/addresses/{address.Id}", DataResponse.Of(AddressResource.From(address)));
    }

    private static async Task<IResult> UpdateAddressAsync(
        long customerId, long id, Partial<AddressRequest> body, VsmenuDbContext db, CancellationToken cancellationToken)
    {
        if (await FindAddressAsync(db, customerId, id, cancellationToken) is not { } address)
        {
            return ApiResults.NotFound();
        }

        Apply(address, body.Value, body);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(DataResponse.Of(AddressResource.From(address)));
    }

    private static async Task<IResult> DeleteAddressAsync(long customerId, long id, VsmenuDbContext db, CancellationToken cancellationToken)
    {
        if (await FindAddressAsync(db, customerId, id, cancellationToken) is not { } address)
        {
            return ApiResults.NotFound();
        }

        db.Addresses.Remove(address);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static Task<Address?> FindAddressAsync(VsmenuDbContext db, long customerId, long id, CancellationToken cancellationToken) =>
        db.Addresses.FirstOrDefaultAsync(address => address.Id == id && address.CustomerId == customerId, cancellationToken);

    private static void Apply(Address address, AddressRequest request, ISentFields<AddressRequest> given)
    {
        if (given.Has(r => r.Label)) address.Label = request.Label;
        if (given.Has(r => r.Street)) address.Street = request.Street!;
        if (given.Has(r => r.Number)) address.Number = request.Number!;
        if (given.Has(r => r.Complement)) address.Complement = request.Complement;
        if (given.Has(r => r.District)) address.District = request.District;
        if (given.Has(r => r.City)) address.City = request.City!;
        if (given.Has(r => r.State)) address.State = request.State!;
        if (given.Has(r => r.PostalCode)) address.PostalCode = request.PostalCode!;
        if (given.Has(r => r.Reference)) address.Reference = request.Reference;
    }
}
