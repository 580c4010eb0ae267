namespace VSmenu.Data.Users;

/// <summary>What a member of a restaurant's staff does there; authorization rules are written against it.</summary>
public enum Role
{
    Owner,
    Manager,
    Waiter,
    Kitchen,
    Delivery,
}
