namespace VSmenu.Data.Orders;

public enum OrderType
{
    DineIn,
    Takeaway,
    Delivery,
}

public enum OrderStatus
{
    Pending,
    Confirmed,
    Preparing,
    Ready,
    Served,
    OutForDelivery,
    Delivered,
    PickedUp,
    Completed,
    Cancelled,
}

public enum PaymentMethod
{
    Cash,
    CreditCard,
    DebitCard,
    Pix,
    Voucher,
}
