namespace VSmenu.Data;

/// <summary>Amounts of money as the database keeps them: <c>numeric(12,2)</c>, the convention of every decimal column.</summary>
public static class Money
{
    public const int Precision = 12;
    public const int Scale = 2;

    /// <summary>The largest amount a money column holds (R$ 9.999.999.999,99).</summary>
    public const decimal Max = 9_999_999_999.99m;
}
