"""Partner webhooks: staff set up each partner's endpoints; the partner sees its deliveries."""
