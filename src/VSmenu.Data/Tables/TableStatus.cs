namespace VSmenu.Data.Tables;

public enum TableStatus
{
    Available,
    Occupied,
    Reserved,
    Cleaning,
}
