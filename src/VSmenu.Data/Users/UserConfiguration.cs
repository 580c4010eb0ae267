using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using VSmenu.Data.Tenants;

namespace VSmenu.Data.Users;

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> user)
    {
        user.Property(u => u.Name).HasMaxLength(120);
        user.Property(u => u.Email).HasMaxLength(254);
        user.Property(u => u.PasswordHash).HasMaxLength(200);
        user.Property(u => u.Role).HasMaxLength(20);
        user.HasIndex(u => u.Email).IsUnique();
        user.HasOne<Tenant>().WithMany().HasForeignKey(u => u.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PersonalAccessTokenConfiguration : IEntityTypeConfiguration<PersonalAccessToken>
{
    public void Configure(EntityTypeBuilder<PersonalAccessToken> token)
    {
        token.Property(t => t.Name).HasMaxLength(120);
        token.Property(t => t.TokenHash).HasMaxLength(64).IsFixedLength();
        token.HasIndex(t => t.TokenHash).IsUnique();
        token.HasOne(t => t.User).WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
