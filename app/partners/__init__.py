"""What a referring partner sees of the candidates it referred."""
