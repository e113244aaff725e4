namespace Shop;

[GenerateSerializer, Alias("Shop.OrderStatus")]
public enum OrderStatus
{
    Pending,
    Processing,
    Shipped,
    Delivered,
    Cancelled,
}

[GenerateSerializer, Alias("Shop.PaymentStatus")]
public enum PaymentStatus
{
    Pending,
    Paid,
    Failed,
    Refunded,
}

[GenerateSerializer, Alias("Shop.PaymentMethod")]
public enum PaymentMethod
{
    CreditCard,
    Paypal,
    BankTransfer,
    CashOnDelivery,
}
