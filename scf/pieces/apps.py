from django.apps import AppConfig


class PiecesConfig(AppConfig):
    name = "scf.pieces"
    label = "pieces"
    verbose_name = "Piece locks and claims"
