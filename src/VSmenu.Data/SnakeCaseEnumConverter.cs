using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace VSmenu.Data;

/// <summary>Stores an enum as the same snake_case text the API shows (<c>out_for_delivery</c>), readable in SQL.</summary>
internal sealed class SnakeCaseEnumConverter<TEnum>() : ValueConverter<TEnum, string>(value => WireEnum<TEnum>.Name(value), text => WireEnum<TEnum>.Parse(text))
    where TEnum : struct, Enum;
