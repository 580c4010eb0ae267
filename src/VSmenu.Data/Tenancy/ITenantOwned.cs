namespace VSmenu.Data.Tenancy;

/// <summary>
/// A record that belongs to one restaurant. <see cref="VsmenuDbContext"/> filters every query on these to the
/// current tenant and refuses to write one for another tenant.
/// </summary>
public interface ITenantOwned
{
    long TenantId { get; set; }
}
