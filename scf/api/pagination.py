"""The page of every list: DRF's page-number pagination, except that `?page=` with no value is
refused (404, as DRF answers any page it cannot read) instead of read as page 1: the schema
says a page is an integer, and a client that sends an empty one has lost the page it meant."""

from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination

MSG_INVALID_PAGE = "页码无效 / Invalid page"


class Pagination(PageNumberPagination):
    def get_page_number(self, request, paginator):
        if request.query_params.get(self.page_query_param) == "":
            raise NotFound(MSG_INVALID_PAGE)
        return super().get_page_number(request, paginator)
